package io.tokenhub.service.error;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods a path takes, for the {@code Allow} header a 405 must carry (RFC 9110, 15.5.6). RESTEasy Reactive
 * refuses a wrong method without one, so the service's own JAX-RS resources are read once, on the first 405.
 */
@Singleton
public class AllowedMethods {

    private volatile List<Route> routes;

    /** The methods {@code path} takes, e.g. {@code GET, POST}; empty when no resource serves it. */
    public String allow(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : routes()) {
            if (route.path().matcher(path).matches()) {
                methods.add(route.method());
            }
        }
        return String.join(", ", methods);
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = read();
            routes = known;
        }
        return known;
    }

    private static List<Route> read() {
        List<Route> out = new ArrayList<>();
        for (InjectableBean<?> bean :
                Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                        .map(b -> (InjectableBean<?>) b)
                        .toList()) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                out.add(new Route(template(root.value() + (sub == null ? "" : "/" + sub.value())), verb));
            }
        }
        return List.copyOf(out);
    }

    private static String verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** A JAX-RS path template as a pattern: each {@code {param}} matches one path segment. */
    private static Pattern template(String path) {
        String normalized = ("/" + path).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        StringBuilder regex = new StringBuilder();
        for (String part : normalized.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private record Route(Pattern path, String method) {}
}
