package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.web.ApiException;
import dev.qaengine.controlplane.web.ProblemCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Enforces {@link Access} on /api handlers; a handler without it needs ADMIN (fails closed). */
public class AccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Caller caller = (Caller) request.getAttribute(ApiKeyFilter.CALLER_ATTRIBUTE);
        if (caller == null) {
            return true; // not an /api path: the filter did not run
        }
        Access access = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), Access.class);
        if (access == null) {
            access = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), Access.class);
        }
        Role required = access == null ? Role.ADMIN : access.value();
        if (!caller.role().includes(required)) {
            throw new ApiException(ProblemCode.FORBIDDEN, "this needs the " + required + " role; the API key has " + caller.role());
        }
        if (access != null && access.platformAdmin() && !caller.platformAdmin()) {
            throw new ApiException(ProblemCode.FORBIDDEN, "only a platform-admin key (the bootstrap key) may do this");
        }
        return true;
    }
}
