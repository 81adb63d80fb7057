package dev.qaengine.identity;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;

import java.io.IOException;
import java.net.URI;

/**
 * Writes the person directory to Redis, pipelined in batches and completely before every checkpoint
 * ({@link SinkWriter#flush}), so what a checkpoint covers is in Redis: at-least-once. Writes of one
 * identifier or person all come from the operator instance that owns its key, in order (this sink is
 * chained to it), so a replay after a failover rewrites the same values in the same order.
 */
public final class RedisDirectorySink implements Sink<DirectoryWrite> {
    private final String url;
    private final int batch;

    public RedisDirectorySink(String url, int batch) {
        this.url = url;
        this.batch = batch;
    }

    @Override
    public SinkWriter<DirectoryWrite> createWriter(WriterInitContext context) {
        return new Writer(new JedisPooled(URI.create(url)), batch, context.metricGroup().counter("directoryWrites"));
    }

    private static final class Writer implements SinkWriter<DirectoryWrite> {
        private final JedisPooled redis;
        private final int batch;
        private final Counter writes;
        private Pipeline pipeline;
        private int queued;

        Writer(JedisPooled redis, int batch, Counter writes) {
            this.redis = redis;
            this.batch = batch;
            this.writes = writes;
        }

        @Override
        public void write(DirectoryWrite w, Context context) {
            if (pipeline == null) {
                pipeline = redis.pipelined();
            }
            if (w.value() == null) {
                pipeline.del(w.key());
            } else {
                pipeline.set(w.key(), w.value());
            }
            if (++queued >= batch) {
                sync();
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            sync();
        }

        private void sync() {
            if (pipeline != null && queued > 0) {
                pipeline.sync(); // throws on a Redis error: the job fails over and replays, nothing is lost
                writes.inc(queued);
            }
            queued = 0;
        }

        @Override
        public void close() throws IOException {
            try {
                sync();
            } finally {
                if (pipeline != null) {
                    pipeline.close();
                }
                redis.close();
            }
        }
    }
}
