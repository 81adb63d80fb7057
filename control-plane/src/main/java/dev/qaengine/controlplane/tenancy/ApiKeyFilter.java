package dev.qaengine.controlplane.tenancy;

import dev.qaengine.controlplane.web.ErrorResponder;
import dev.qaengine.controlplane.web.ProblemCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * Authenticates every /api request by its API key ({@code Authorization: Bearer <key>} or
 * {@code X-QA-Api-Key: <key>}) and attaches the {@link Caller}. One indexed lookup by the key's hash per
 * request, no cache: a deleted key stops working at once, on every instance.
 */
public class ApiKeyFilter extends OncePerRequestFilter {
    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    public static final String API_KEY_HEADER = "X-QA-Api-Key";

    private final TenancyRepository repository;
    private final ErrorResponder errors;

    public ApiKeyFilter(TenancyRepository repository, ErrorResponder errors) {
        this.repository = repository;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ErrorResponder.isApiPath(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> key = presentedKey(request);
        if (key.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            errors.write(request, response, ProblemCode.UNAUTHORIZED,
                    "an API key is required: 'Authorization: Bearer <key>' or '" + API_KEY_HEADER + ": <key>'");
            return;
        }
        Optional<Caller> caller = repository.findCallerByKeyHash(ApiKeys.hash(key.get()));
        if (caller.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            errors.write(request, response, ProblemCode.UNAUTHORIZED, "the API key is not valid (unknown or deleted)");
            return;
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    static Optional<String> presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String k = authorization.substring(7).strip();
            if (!k.isEmpty()) {
                return Optional.of(k);
            }
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? Optional.empty() : Optional.of(header.strip());
    }
}
