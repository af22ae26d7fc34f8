package app.lockin.profiles;

import java.util.List;

import app.lockin.groups.Membership;

/** One's own profile with the groups one belongs to, newest membership first. */
public record Me(Profile profile, List<Membership> memberships) {
}
