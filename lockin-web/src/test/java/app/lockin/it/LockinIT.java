package app.lockin.it;

import java.io.File;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The integration suite: the built WAR on a real Payara Micro (started once by
 * Arquillian for all of it), a real PostgreSQL, real HTTP with tokens the tests
 * sign. Each area's tests live in their own class and run here as
 * {@link Nested} classes, so the server boots once, not once per class.
 */
@ExtendWith({TestEnvironment.class, ArquillianExtension.class})
class LockinIT {

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(System.getProperty("lockin.it.war")))
                .as(WebArchive.class);
    }

    @Nested
    class Tokens extends TokenSpec {
    }

    @Nested
    class Me extends MeSpec {
    }

    @Nested
    class Avatars extends AvatarSpec {
    }

    @Nested
    class Errors extends ErrorSpec {
    }

    @Nested
    class Groups extends GroupsSpec {
    }

    @Nested
    class Members extends MembersSpec {
    }

    @Nested
    class Inbox extends InboxSpec {
    }

    @Nested
    class Sessions extends SessionsSpec {
    }

    @Nested
    class Progress extends ProgressSpec {
    }

    @Nested
    class Timeline extends TimelineSpec {
    }

    @Nested
    class Retries extends RetriesSpec {
    }

    @Nested
    class Robustness extends RobustnessSpec {
    }

    @Nested
    class Archival extends ArchivalSpec {
    }

    @Nested
    class Plan extends PlanSpec {
    }

    @Nested
    class Observability extends ObservabilitySpec {
    }

    @Nested
    class HealthAndDocs extends HealthAndDocsSpec {
    }

    @Nested
    class Schema extends SchemaSpec {
    }

    @Nested
    class Outage extends OutageSpec {
    }
}
