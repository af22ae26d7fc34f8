package app.lockin.limits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method whose requests count against a limit beyond
 * {@link Limit#WRITES} (which every write counts against): {@code
 * @Counted(Limit.INVITES)} on the operations that invite or make join links.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Counted {

    Limit value();
}
