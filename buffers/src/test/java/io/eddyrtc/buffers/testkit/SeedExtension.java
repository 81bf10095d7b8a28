package io.eddyrtc.buffers.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives each test a seed for its randomness and prints it when the test fails.
 *
 * <p>Use with {@code @ExtendWith(SeedExtension.class)} and a {@code @Seed long seed} parameter. The seed
 * is {@code -Deddy.seed=N} when given (to replay a failure), otherwise derived from the test's unique
 * id, so CI runs are repeatable.
 */
public final class SeedExtension implements ParameterResolver, TestWatcher {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SeedExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(Seed.class) && parameter.getParameter().getType() == long.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return seedOf(context);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        long seed = seedOf(context);
        System.err.printf("[eddy] %s failed with seed %d; replay it with -Deddy.seed=%d%n", context.getDisplayName(), seed, seed);
    }

    /** The seed of the running test. */
    public static long seedOf(ExtensionContext context) {
        return context.getStore(NAMESPACE).computeIfAbsent("seed", k -> chooseSeed(context.getUniqueId()), Long.class);
    }

    private static long chooseSeed(String uniqueId) {
        String given = System.getProperty("eddy.seed");
        if (given != null && !given.isBlank()) {
            return Long.parseLong(given.trim());
        }
        long h = 1125899906842597L;
        for (int i = 0; i < uniqueId.length(); i++) {
            h = 31 * h + uniqueId.charAt(i);
        }
        return h;
    }
}
