package app.lockin.testing;

import java.io.File;
import java.util.List;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.deployment.DeploymentDescription;
import org.jboss.arquillian.container.spi.client.deployment.TargetDescription;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.event.DeployDeployment;
import org.jboss.arquillian.container.spi.event.DeployManagedDeployments;
import org.jboss.arquillian.container.spi.event.UnDeployManagedDeployments;
import org.jboss.arquillian.container.test.impl.client.deployment.AnnotationDeploymentScenarioGenerator;
import org.jboss.arquillian.container.test.spi.client.deployment.DeploymentScenarioGenerator;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.TestClass;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One Payara Micro for the whole test run, however many test classes (see
 * {@link LockinServer}). Registered through
 * {@code META-INF/services/org.jboss.arquillian.core.spi.LoadableExtension}.
 */
public final class ServerOncePerRun implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.override(DeploymentScenarioGenerator.class, AnnotationDeploymentScenarioGenerator.class, TheBuiltWar.class)
                .observer(DeployOnce.class);
    }

    /** Every test class's deployment: the WAR the build made (lockin.it.war), as ROOT, tested from the client. */
    public static final class TheBuiltWar implements DeploymentScenarioGenerator {

        @Override
        public List<DeploymentDescription> generate(TestClass testClass) {
            WebArchive war = ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                    .importFrom(new File(System.getProperty("lockin.it.war")))
                    .as(WebArchive.class);
            return List.of(new DeploymentDescription("lockin", war)
                    .shouldBeTestable(false)
                    .shouldBeManaged(true)
                    .setTarget(TargetDescription.DEFAULT)
                    .setProtocol(ProtocolDescription.DEFAULT));
        }
    }

    /** Deploys (boots Payara Micro) for the first class, keeps it for the others, undeploys at the end of the run. */
    public static final class DeployOnce {

        private DeployableContainer<?> container;
        private Archive<?> deployed;
        private RuntimeException failed;

        public void deployForTheFirstClassOnly(@Observes EventContext<DeployManagedDeployments> context) {
            if (failed != null) {
                throw failed;
            }
            if (deployed != null) {
                return;
            }
            try {
                context.proceed();
            } catch (RuntimeException e) {
                failed = e;
                throw e;
            }
        }

        public void remember(@Observes EventContext<DeployDeployment> context) {
            context.proceed();
            DeployDeployment event = context.getEvent();
            if (event.getDeployment().isDeployed()) {
                container = event.getDeployableContainer();
                deployed = event.getDeployment().getDescription().getArchive();
            }
        }

        /** Not proceeded: the server outlives the class. */
        public void keepAfterTheClass(@Observes EventContext<UnDeployManagedDeployments> context) {
        }

        public void undeployAtTheEnd(@Observes AfterSuite event) throws DeploymentException {
            if (deployed != null) {
                container.undeploy(deployed);
                deployed = null;
            }
        }
    }
}
