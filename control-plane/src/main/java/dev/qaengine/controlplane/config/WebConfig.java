package dev.qaengine.controlplane.config;

import dev.qaengine.controlplane.journey.JourneyInsightController;
import dev.qaengine.controlplane.tenancy.AccessInterceptor;
import dev.qaengine.controlplane.tenancy.ApiKeyFilter;
import dev.qaengine.controlplane.tenancy.CallerArgumentResolver;
import dev.qaengine.controlplane.tenancy.TenancyRepository;
import dev.qaengine.controlplane.web.BodySizeLimitFilter;
import dev.qaengine.controlplane.web.ErrorResponder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** Authentication, body limit and role checks for /api. */
@Configuration(proxyBeanMethods = false)
public class WebConfig implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(TenancyRepository repository, ErrorResponder errors) {
        FilterRegistrationBean<ApiKeyFilter> r = new FilterRegistrationBean<>(new ApiKeyFilter(repository, errors));
        r.addUrlPatterns("/api/*");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return r;
    }

    /**
     * After authentication: an anonymous caller learns nothing but 401. Every /api body is held to the ingestion limit but
     * a journey dry run's event file, read line by line, to its own.
     */
    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(QaProperties properties, ErrorResponder errors) {
        long api = properties.ingest().maxBodySize().toBytes();
        long dryRun = properties.journeyDryRun().maxBodySize().toBytes();
        FilterRegistrationBean<BodySizeLimitFilter> r = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(request -> JourneyInsightController.isDryRun(request) ? dryRun : api, errors));
        r.addUrlPatterns("/api/*");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 101);
        return r;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AccessInterceptor()).addPathPatterns("/api/**");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }
}
