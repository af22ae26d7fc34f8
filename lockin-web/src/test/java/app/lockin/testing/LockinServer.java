package app.lockin.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class against the suite's server: the built WAR on a real Payara
 * Micro, a real PostgreSQL, real HTTP with tokens the tests sign.
 *
 * <p>Every {@code *IT} of a feature carries this, and all of them share one
 * server start. Arquillian's Payara Micro connector starts a Payara Micro
 * process when it deploys and stops it when it undeploys (its container
 * {@code start()}/{@code stop()} do nothing), and Arquillian deploys a test
 * class's deployment before the class and undeploys it after: so a class
 * each would be a boot each (~15 s). {@link ServerOncePerRun}, an Arquillian
 * extension, makes every class's deployment the built WAR, deploys it for the
 * first class and undeploys it when the run ends (Arquillian's AfterSuite,
 * which its JUnit 5 extension fires once, when JUnit closes the run). Any
 * subset of classes ({@code -Dit.test=GroupsIT,MembersIT}) boots once too.
 *
 * <p>{@link TestEnvironment} is registered first: PostgreSQL, S3 and the
 * signing key are up before the server boots.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TestEnvironment.class)
@ExtendWith(ArquillianExtension.class)
public @interface LockinServer {
}
