package dev.qaengine.controlplane.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.function.ToLongFunction;

/**
 * Refuses /api request bodies above the limit with 413: at once when Content-Length says so, and while
 * reading when the body is chunked (the read fails with {@link BodyTooLargeException}, which the error
 * handling turns into the same 413).
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {
    private final ToLongFunction<HttpServletRequest> limit;
    private final ErrorResponder errors;

    public BodySizeLimitFilter(long maxBytes, ErrorResponder errors) {
        this(request -> maxBytes, errors);
    }

    /** @param limit the largest body a request may have (an upload may have a larger one than every other call) */
    public BodySizeLimitFilter(ToLongFunction<HttpServletRequest> limit, ErrorResponder errors) {
        this.limit = limit;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ErrorResponder.isApiPath(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long maxBytes = limit.applyAsLong(request);
        if (request.getContentLengthLong() > maxBytes) {
            errors.write(request, response, ProblemCode.PAYLOAD_TOO_LARGE, message(maxBytes));
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    public static String message(long maxBytes) {
        return "the request body is larger than the limit of " + maxBytes + " bytes";
    }

    /** Thrown while reading a body past the limit. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException(long maxBytes) {
            super(message(maxBytes));
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long count;

        CountingStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws BodyTooLargeException {
            count += n;
            if (count > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
