package app.lockin.live;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import app.lockin.live.LiveMessage.BoardChanged;
import app.lockin.live.LiveMessage.GoalCheckDue;
import app.lockin.live.LiveMessage.GroupArchived;
import app.lockin.live.LiveMessage.MemberChanged;
import app.lockin.live.LiveMessage.NotificationAdded;
import app.lockin.live.LiveMessage.PresenceChanged;
import app.lockin.live.LiveMessage.ProfileErased;
import app.lockin.notifications.NotificationResponse;
import app.lockin.notifications.Notifications;
import app.lockin.notifications.Outbox;
import app.lockin.notifications.Notifications.Delivery;
import app.lockin.security.KnownProfiles;

/**
 * Where each of the database's messages goes on this instance: a changed
 * board, a member who joined or left, an archived group and someone's
 * presence to the streams they concern; a due goal check to {@link
 * GoalCheckWakeUp}; an erased person's profile id to {@link KnownProfiles},
 * which forgets it. A new notification is read only when someone here
 * listens for it (its recipient's own stream, or for a milestone their board
 * stream of its group), and the notifications of one batch of messages are
 * read in one query, off the listener's thread. Word that the outbox has
 * something to send wakes this instance's {@link Outbox}.
 */
@ApplicationScoped
public class MessageRouter {

    /** What the outbox's triggers say when they wrote something to send (R__19_outbox.sql, outbox_wake). */
    private static final String OUTBOX = "outbox";

    @Inject
    LiveExecutor executor;

    @Inject
    CurrentBoards currentBoards;

    @Inject
    BoardStreams boards;

    @Inject
    MeStreams mine;

    @Inject
    Notifications notifications;

    @Inject
    GoalCheckWakeUp goalChecks;

    /** Where what was heard shows: a replica reads the notifications only once it has replayed that far. */
    @Inject
    LiveListener listener;

    @Inject
    KnownProfiles knownProfiles;

    @EJB
    Outbox outbox;

    /** Routes the payloads of the messages received together; a payload it cannot read is skipped. */
    void route(List<String> payloads) {
        List<NotificationAdded> added = new ArrayList<>();
        for (String payload : payloads) {
            if (OUTBOX.equals(payload)) {
                outbox.wake();
                continue;
            }
            Optional<LiveMessage> message = LiveMessage.parse(payload);
            if (message.isEmpty()) {
                continue;
            }
            LiveMessage m = message.get();
            if (m instanceof BoardChanged board) {
                currentBoards.changed(board.groupId());
                boards.changed(board.groupId());
            } else if (m instanceof MemberChanged member) {
                if (!member.joined()) {
                    boards.memberLeft(member.groupId(), member.userId());
                }
                mine.memberChanged(member.groupId(), member.userId(), member.joined());
            } else if (m instanceof GroupArchived archived) {
                boards.archived(archived.groupId());
                mine.archived(archived.groupId());
            } else if (m instanceof PresenceChanged p) {
                mine.presenceChanged(p.groupId(), p.userId(), p.sessionId(), p.focusing(), p.hidden());
            } else if (m instanceof NotificationAdded n) {
                if (mine.listens(n.recipientId()) || n.milestone() && boards.listens(n.recipientId(), n.groupId())) {
                    added.add(n);
                }
            } else if (m instanceof GoalCheckDue due) {
                goalChecks.at(due.at());
            } else if (m instanceof ProfileErased erased) {
                knownProfiles.forget(erased.profileId());
            }
        }
        if (!added.isEmpty()) {
            executor.execute(() -> deliver(added));
        }
    }

    /**
     * After the listener was lost: the notifications written meanwhile, to
     * the streams of their recipients (a client may get one twice: the
     * OpenAPI document tells them to tell them apart by id).
     */
    void deliverMissed(Instant since) {
        Set<UUID> recipients = new HashSet<>(mine.recipients());
        boards.subscribers().forEach(s -> recipients.add(s.userId));
        for (Delivery d : notifications.since(recipients, since, listener.heard())) {
            mine.notification(d.recipientId(), d.notification());
            if (d.notification().kind().name().startsWith("MILESTONE_")) {
                boards.milestone(d.recipientId(), d.notification());
            }
        }
    }

    /** Reads the new notifications that someone here listens for, in one query, and routes each. */
    private void deliver(List<NotificationAdded> added) {
        Map<UUID, NotificationResponse> byId = notifications.byIds(added.stream().map(NotificationAdded::notificationId).toList(),
                        listener.heard())
                .stream().collect(Collectors.toMap(NotificationResponse::id, Function.identity()));
        for (NotificationAdded m : added) {
            NotificationResponse n = byId.get(m.notificationId());
            if (n == null) {
                continue;
            }
            mine.notification(m.recipientId(), n);
            if (m.milestone()) {
                boards.milestone(m.recipientId(), n);
            }
        }
    }
}
