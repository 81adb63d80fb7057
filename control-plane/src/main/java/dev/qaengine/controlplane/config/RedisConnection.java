package dev.qaengine.controlplane.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The pooled Redis client (QA_REDIS_URL) through which the control plane reads the person directory the
 * identity job writes. Connections are made on first use: the service starts, and answers everything but
 * person look-ups, while Redis is away.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConnection {

    @Bean(destroyMethod = "close")
    public JedisPooled redis(QaProperties properties) {
        QaProperties.Redis redis = properties.redis();
        URI uri = parse(redis.url());
        int timeout = Math.toIntExact(redis.timeout().toMillis());
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(redis.maxConnections());
        pool.setMaxIdle(redis.maxConnections());
        // Never wait longer for a free connection than for Redis itself (the default waits forever).
        pool.setMaxWait(redis.timeout());
        return new JedisPooled(pool, uri, timeout, timeout);
    }

    /** A bad URL stops the start with a message that does not repeat a password it may hold. */
    static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!JedisURIHelper.isValid(uri) || !(JedisURIHelper.isRedisScheme(uri) || JedisURIHelper.isRedisSSLScheme(uri))) {
                throw new IllegalStateException("QA_REDIS_URL must be redis://host:port[/db] or rediss://…, not '"
                        + uri.getScheme() + "://" + uri.getHost() + "…'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("QA_REDIS_URL is not a URL (redis://host:port[/db])");
        }
    }
}
