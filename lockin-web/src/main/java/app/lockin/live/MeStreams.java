package app.lockin.live;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;

import app.lockin.live.StreamEvents.EndReason;
import app.lockin.notifications.NotificationResponse;
import app.lockin.progress.Presence;

/**
 * The open streams of people's own news on this instance ({@code GET
 * /api/me/stream}): new notifications of their inbox, and who starts or
 * stops focusing in their groups (every group they are in that is not
 * archived, read when the stream opens and kept up by the {@code member}
 * and {@code archived} messages).
 */
@ApplicationScoped
public class MeStreams {

    /** Presence as the stream shows it. */
    public record PresenceEvent(UUID groupId, UUID userId, boolean isFocusing, UUID sessionId) {
    }

    @Inject
    Presence presence;

    @Inject
    StreamEvents events;

    private final Map<UUID, Set<Subscriber>> byUser = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Subscriber>> byGroup = new ConcurrentHashMap<>();

    void open(Subscriber subscriber) {
        byUser.computeIfAbsent(subscriber.userId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        subscriber.onClose(() -> leave(subscriber));
        for (UUID group : presence.groupsOf(subscriber.userId)) {
            join(subscriber, group);
        }
        subscriber.send(events.comment("connected"));
    }

    private void join(Subscriber subscriber, UUID groupId) {
        subscriber.presenceGroups.add(groupId);
        byGroup.computeIfAbsent(groupId, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    private void part(Subscriber subscriber, UUID groupId) {
        subscriber.presenceGroups.remove(groupId);
        byGroup.computeIfPresent(groupId, (id, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    private void leave(Subscriber subscriber) {
        byUser.computeIfPresent(subscriber.userId, (id, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
        for (UUID group : Set.copyOf(subscriber.presenceGroups)) {
            part(subscriber, group);
        }
    }

    void memberChanged(UUID groupId, UUID userId, boolean joined) {
        for (Subscriber s : byUser.getOrDefault(userId, Set.of())) {
            if (joined) {
                join(s, groupId);
            } else {
                part(s, groupId);
            }
        }
    }

    void archived(UUID groupId) {
        for (Subscriber s : Set.copyOf(byGroup.getOrDefault(groupId, Set.of()))) {
            part(s, groupId);
        }
    }

    /**
     * Tells the group's listeners; of someone not every member sees (the
     * message says {@code hidden}), only those the database says see them
     * (member_shown, read then: roles and choices change, and such events are
     * few).
     */
    void presenceChanged(UUID groupId, UUID userId, UUID sessionId, boolean focusing, boolean hidden) {
        Set<Subscriber> listeners = byGroup.get(groupId);
        if (listeners == null || listeners.isEmpty()) {
            return;
        }
        Set<UUID> told = hidden ? presence.shownTo(groupId, userId) : null;
        OutboundSseEvent event = events.json("presence", new PresenceEvent(groupId, userId, focusing, sessionId));
        listeners.stream()
                .filter(s -> told == null || told.contains(s.userId))
                .forEach(s -> s.send(event));
    }

    /** Whose streams are open here. */
    Set<UUID> recipients() {
        return Set.copyOf(byUser.keySet());
    }

    boolean listens(UUID recipientId) {
        return byUser.containsKey(recipientId);
    }

    void notification(UUID recipientId, NotificationResponse notification) {
        Set<Subscriber> streams = byUser.get(recipientId);
        if (streams == null) {
            return;
        }
        OutboundSseEvent event = events.json("notification", notification);
        streams.forEach(s -> s.send(event));
    }

    Stream<Subscriber> subscribers() {
        return byUser.values().stream().flatMap(Set::stream);
    }

    void endAll(EndReason reason) {
        var open = subscribers().toList();
        if (!open.isEmpty()) {
            OutboundSseEvent end = events.end(reason);
            open.forEach(s -> s.end(end));
        }
    }
}
