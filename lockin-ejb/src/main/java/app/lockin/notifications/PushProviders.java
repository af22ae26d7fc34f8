package app.lockin.notifications;

import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Builds the push channels when the application starts, so a wrong APNs or
 * FCM setting (some APNs settings but not all, a .p8 key or service account
 * file that cannot be read) stops the deployment with its message instead of
 * failing the first push, and says in the log what each platform does.
 */
@Singleton
@Startup
public class PushProviders {

    private static final Logger LOG = Logger.getLogger(PushProviders.class.getName());

    @Inject
    ApnsPushes apns;

    @Inject
    FcmPushes fcm;

    @PostConstruct
    void announce() {
        LOG.info(apns.describe());
        LOG.info(fcm.describe());
    }
}
