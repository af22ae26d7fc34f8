package app.lockin.notifications;

import java.util.List;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;
import app.lockin.rules.NotFound;

/**
 * The phones a person registered for push (DOMAIN.md "Reaching people outside
 * the app"). One row per provider token ({@code devices_platform_token_key}):
 * registering a token again refreshes its device; a token another person
 * registered moves to the caller as a new device of theirs (one phone, one
 * person at a time), in one statement, so two people racing for a token end
 * with one of them holding it. A person keeps at most {@link #MAX_PER_PERSON}
 * devices: registering one more drops the least recently seen.
 */
@Stateless
public class Devices {

    /** How many devices a person keeps; a registration beyond drops the least recently seen. */
    public static final int MAX_PER_PERSON = 20;

    private static final String DEVICE_NOT_FOUND = "device not found";

    /**
     * The device of the token, new (?1 its id), refreshed (the caller's own:
     * same id and creation, app version and locale replaced when given), or
     * moved from another person (a new id and creation for the caller; the
     * other person's version and locale are not kept).
     */
    private static final String REGISTER = """
            insert into devices as d (id, user_id, platform, token, app_version, locale)
            values (?1, ?2, cast(?3 as text), cast(?4 as text), cast(?5 as text), cast(?6 as text))
            on conflict (platform, token) do update
               set id = case when d.user_id = excluded.user_id then d.id else excluded.id end,
                   created_at = case when d.user_id = excluded.user_id then d.created_at else now() end,
                   app_version = case when d.user_id = excluded.user_id then coalesce(excluded.app_version, d.app_version)
                                      else excluded.app_version end,
                   locale = case when d.user_id = excluded.user_id then coalesce(excluded.locale, d.locale)
                                 else excluded.locale end,
                   user_id = excluded.user_id,
                   last_seen_at = now()
            returning id, platform, app_version, locale, created_at, last_seen_at
            """;

    /** All but the person's most recently seen devices (devices_user_idx). */
    private static final String DROP_BEYOND_LIMIT = """
            delete from devices
             where user_id = ?1
               and id not in (select id from devices where user_id = ?1
                               order by last_seen_at desc, created_at desc, id limit ?2)
            """;

    private static final String OF_PERSON = """
            select id, platform, app_version, locale, created_at, last_seen_at
              from devices
             where user_id = ?1
             order by last_seen_at desc, created_at desc, id
            """;

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** A device registered, and whether it is new to the caller (201) or theirs already (200). */
    public record Registered(boolean created, DeviceResponse device) {
    }

    /** Registers the caller's phone (see the class); 422 for values the database's checks refuse. */
    public Registered register(UUID caller, NewDevice request) {
        // one registration of a person at a time, so the limit holds however many race
        em.createNativeQuery("select id from profiles where id = ?1 for no key update")
                .setParameter(1, caller)
                .getResultList();
        UUID fresh = UUID.randomUUID();
        Row row = Rows.single(em.createNativeQuery(REGISTER)
                .setParameter(1, fresh)
                .setParameter(2, caller)
                .setParameter(3, request.platform())
                .setParameter(4, request.token())
                .setParameter(5, request.appVersion())
                .setParameter(6, request.locale()));
        em.createNativeQuery(DROP_BEYOND_LIMIT)
                .setParameter(1, caller)
                .setParameter(2, MAX_PER_PERSON)
                .executeUpdate();
        return new Registered(fresh.equals(row.uuid("id")), DeviceResponse.of(row));
    }

    /** The caller's devices, most recently seen first. */
    public List<DeviceResponse> list(UUID caller) {
        return Rows.list(em.createNativeQuery(OF_PERSON).setParameter(1, caller)).stream()
                .map(DeviceResponse::of)
                .toList();
    }

    /** Forgets one of the caller's devices; 404 for anyone else's or an unknown one. */
    public void remove(UUID caller, UUID deviceId) {
        int removed = em.createNativeQuery("delete from devices where id = ?1 and user_id = ?2")
                .setParameter(1, deviceId)
                .setParameter(2, caller)
                .executeUpdate();
        if (removed == 0) {
            throw new NotFound(DEVICE_NOT_FOUND);
        }
    }
}
