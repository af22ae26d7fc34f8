#!/usr/bin/perl
# Turns the PostgreSQL statement log of single requests into pgbench scripts that replay
# exactly the statements those requests sent, with the same parameters, for the database-only
# ceiling of each scenario.
#
#   capture.pl LOG_SLICE OUT_DIR [name=value ...]
#
# LOG_SLICE  the server log (log_statement = all, log_line_prefix '%m [%p] %a ') from before the
#            first captured request; after each request bench/run.sh ran, from a connection named
#            bench-marker, "select 'bench-capture-end:LABEL'". LABEL is the scenario, or
#            "clock:N" for step N (0 create, 1 start, 2 pause, 3 resume, 4 stop) of a clock cycle.
# name=value the values of the clock cycle the replay must vary (uid, gid, sid: the user, their
#            group and the session created; key0..key4: the Idempotency-Key of each step,
#            new in every cycle), named as the prelude names them; progress_group and
#            progress_caller: the group and caller of the captured progress read.
#
# Writes, for each scenario: OUT_DIR/SCENARIO.pgbench (the script), OUT_DIR/SCENARIO.defines
# (pgbench -D options: the captured parameter values) and OUT_DIR/SCENARIO.txt (the statements
# as logged, for reading); for the statements whose cost is measured by EXPLAIN ANALYZE (the
# leaderboard's; the history page's group_history; the stats' focus_stats (before: focus_by_day and
# focus_streak_days)) also SCENARIO.explain.sql (each, prepared as bench_SCENARIO_N, N = 1, 2 ..
# in the order sent) and SCENARIO.explain.args (their parameters, line N for statement N).
# What the replay changes, and why:
#   * every parameter stays a parameter (pgbench -M prepared binds :variables as $n), so the
#     server plans as it does for the application; NULL parameters become the literal NULL;
#   * read scenarios replay the captured request's values as they are; progress replays the statement
#     each request ran before a group's board was shared by its readers (issue 28): the board as the
#     caller sees it, group_leaderboard_seen_by(progress_group, progress_caller), with the limiter's
#     transaction the request did;
#   * a clock cycle cannot repeat its values (a new session each time, the user's time logs may
#     not overlap), so: the user, group and session come from a prelude that picks the next
#     user of this client from bench.clock_users; UUIDs first sent in an INSERT (participant,
#     time log ids) are new gen_random_uuid() values from the same prelude; the timestamp a
#     step binds is that step's own "select now()" (run with \gset); each pgbench transaction
#     is one step, like one HTTP request;
#   * the JDBC driver's one-off type lookups (pg_catalog, once per connection) are left out;
#   * the fair-use limiter's transaction (BEGIN .. COMMIT around fair_use_buckets: the caller's
#     bucket of the reads or writes limit, bench/../FairUse.java) is replayed on a bucket of the
#     pgbench client's own (its key the captured one with the caller replaced by
#     "bench-client-<client_id>"; OUT_DIR/SCENARIO.setup.sql makes those rows, with the captured
#     state and an expiry far ahead so that no purge takes them during the replay), as the API's
#     callers each have theirs: one captured caller's bucket for every client would queue them
#     all on one row lock. In a read scenario it runs in the share of the transactions that the
#     API's requests did it in (reads are counted in batches, a bucket transaction now and then):
#     -D limiter_ppm, per million, measured by bench/lib/measure.sh during the API's runs
#     (1000000, every transaction, unless told); a clock step runs it every time, as every write
#     does (writes are counted exactly).
use strict;
use warnings;

my ($log, $out, @vars) = @ARGV;
die "usage: capture.pl LOG_SLICE OUT_DIR [name=value ...]\n" unless $log && $out;
my %known;    # value -> variable name (the clock cycle's)
my %var;      # name -> value
for (@vars) {
    my ($name, $value) = split /=/, $_, 2;
    $var{$name} = $value;
    $known{$value} = $name unless $name =~ /^progress_/;
}

# ------------------------------------------------------------------ read the log
my @records;    # {pid, app, level, text}
open my $in, '<', $log or die "cannot read $log: $!\n";
while (my $line = <$in>) {
    chomp $line;
    if ($line =~ /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[(\d+)\] (\S*) ([A-Z]+):  (.*)$/) {
        push @records, { pid => $1, app => $2, level => $3, text => $4 };
    } elsif (@records) {
        $records[-1]{text} .= "\n$line";    # a statement spanning lines
    }
}
close $in;

my %requests;    # label -> [ {sql, params => [...]} ]
my @current;
my %last_of;     # pid -> last statement of that backend, for its DETAIL line
my %outbox_poll; # pid -> in the outbox's poll transaction (left out)
for my $r (@records) {
    if ($r->{app} eq 'bench-marker') {
        if ($r->{level} eq 'LOG' && $r->{text} =~ /bench-capture-end:([\w:]+)/) {
            # the request was answered before its marker, so its transactions have ended: a
            # transaction still open is another's (the outbox's poll, whose BEGIN the log may
            # show before the marker and its claim after it), carried to what follows
            my $label = $1;
            my %open;    # pid -> index of its BEGIN not yet ended
            for my $i (0 .. $#current) {
                my $sql = $current[$i]{sql};
                if ($sql =~ /^\s*BEGIN\s*;?\s*$/i) {
                    $open{ $current[$i]{pid} } = $i;
                } elsif ($sql =~ /^\s*(?:COMMIT|ROLLBACK)\s*;?\s*$/i) {
                    delete $open{ $current[$i]{pid} };
                }
            }
            my (@answered, @carried);
            for my $i (0 .. $#current) {
                my $begin = $open{ $current[$i]{pid} };
                if (defined $begin && $i >= $begin) { push @carried, $current[$i] } else { push @answered, $current[$i] }
            }
            $requests{$label} = [@answered];
            @current = @carried;
        }
        next;
    }
    next unless $r->{app} eq 'lockin';
    if ($r->{level} eq 'ERROR') {
        die "the application's statement failed while capturing: $r->{text}\n";
    }
    if ($r->{level} eq 'LOG' && $r->{text} =~ /^(?:execute [^:]+|statement): (.*)$/s) {
        my $statement = { sql => $1, params => [], pid => $r->{pid} };
        $last_of{$r->{pid}} = $statement;
        next if $statement->{sql} =~ /pg_catalog\./;    # the driver's type cache, once per connection
        # the server's own timers (the maintenance tick, due goal checks) are not the request's
        if ($statement->{sql} =~ /\b(?:pause_runaway_sessions|claim_due_job|archive_expired_groups|process_due_goal_checks)\b/) {
            die "a timer of the server ran during the capture: capture again\n";
        }
        # nor is the outbox's poll (every second, on a pooled connection): its transaction
        # (BEGIN, outbox_claim, COMMIT on one backend) is left out; any other outbox work means
        # deliveries ran meanwhile
        if ($statement->{sql} =~ /\boutbox_claim\b/) {
            my ($begin) = grep { $current[$_]{pid} == $r->{pid} } reverse 0 .. $#current;
            splice @current, $begin, 1 if defined $begin && $current[$begin]{sql} =~ /^\s*BEGIN\s*;?\s*$/i;
            $outbox_poll{$r->{pid}} = 1;
            next;
        }
        if ($outbox_poll{$r->{pid}} && $statement->{sql} =~ /^\s*(?:COMMIT|ROLLBACK)\s*;?\s*$/i) {
            delete $outbox_poll{$r->{pid}};
            next;
        }
        die "the outbox delivered during the capture: capture again\n" if $statement->{sql} =~ /\boutbox_\w+\s*\(/;
        push @current, $statement;
    } elsif ($r->{level} eq 'DETAIL' && $r->{text} =~ /^parameters: (.*)$/s && $last_of{$r->{pid}}) {
        my $list = $1;
        my @params;
        while ($list =~ /\$(\d+) = (NULL|'((?:[^']|'')*)')/g) {
            my $value = $2 eq 'NULL' ? undef : $3;
            $value =~ s/''/'/g if defined $value;
            $params[$1 - 1] = $value;
        }
        $last_of{$r->{pid}}{params} = \@params;
    }
}

# ------------------------------------------------------------ write the scripts
my $uuid = qr/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
my $timestamp = qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d(:\d\d)?$/;

sub pgbench_sql {
    my ($statement, $name_of) = @_;
    my $sql = $statement->{sql};
    $sql =~ s/\s+$//;
    $sql =~ s/;$//;
    $sql =~ s/\$(\d+)\b/$name_of->($1 - 1)/ge;
    return "$sql;\n";
}

sub write_file {
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "cannot write $path: $!\n";
    print $fh $text;
    close $fh;
}

sub listing {
    my ($title, @statements) = @_;
    my $text = "-- $title\n";
    for my $s (@statements) {
        $text .= $s->{sql} . "\n";
        $text .= "--   parameters: " . join(', ', map { defined $_ ? "'$_'" : 'NULL' } @{ $s->{params} }) . "\n"
            if @{ $s->{params} };
    }
    return $text;
}

# ------------------------------------------------- the fair-use limiter's transaction
my $bucket_key = qr{^((?:reads|writes|invites|streams)/\d+/\d+/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$};
my $far_expiry = '4102444800000';    # 2100-01-01 in epoch milliseconds: no purge during the replay
my $client_prefix = 'bench-client-';

# marks the statements of each BEGIN .. COMMIT (or ROLLBACK) that touches fair_use_buckets
sub mark_limiter {
    my @statements = @_;
    for (my $i = 0; $i < @statements; $i++) {
        next unless $statements[$i]{sql} =~ /^\s*begin\s*;?\s*$/i;
        my $j = $i + 1;
        $j++ while $j < @statements && $statements[$j]{sql} !~ /^\s*(?:commit|rollback)\s*;?\s*$/i;
        last if $j >= @statements;
        if (grep { $_->{sql} =~ /\bfair_use_buckets\b/i } @statements[$i .. $j]) {
            $_->{limiter} = 1 for @statements[$i .. $j];
        }
        $i = $j;
    }
    return @statements;
}

# a limiter statement's parameter, as the replay binds it: the bucket key per client, an expiry far
# ahead; undef for the others. $constant names a -D constant for a value (and adds it).
sub limiter_param {
    my ($statement, $value, $constant) = @_;
    return undef unless $statement->{limiter} && defined $value;
    return "(:" . $constant->("$1$client_prefix") . " || :client_id)" if $value =~ $bucket_key;
    return ":" . $constant->($far_expiry) if $value =~ /^\d{13}$/;
    return undef;
}

# OUT_DIR/SCENARIO.setup.sql: the limiter's bucket rows of every client (psql -v clients=N)
sub limiter_setup {
    my ($scenario, @statements) = @_;
    my ($update) = grep { $_->{limiter} && $_->{sql} =~ /^\s*update\s+fair_use_buckets\b/i } @statements;
    return unless $update;
    my ($key) = grep { defined && /$bucket_key/ } @{ $update->{params} };
    my ($state) = grep { defined && /^\\x[0-9a-f]+$/ } @{ $update->{params} };
    die "$scenario: the bucket update binds no key or no state\n" unless $key && $state;
    $key =~ $bucket_key;
    write_file("$out/$scenario.setup.sql",
        "-- the fair-use buckets of the replay's clients (bench/capture.pl): the captured state, no expiry soon\n"
        . "insert into fair_use_buckets (id, state, expires_at)\n"
        . "select '$1$client_prefix' || g, '$state'::bytea, $far_expiry from generate_series(0, :clients - 1) g\n"
        . "on conflict (id) do update set state = excluded.state, expires_at = excluded.expires_at;\n");
}

# read scenarios: the request's own values, as -D constants
for my $scenario (sort grep { !/:/ } keys %requests) {
    my @statements = mark_limiter(@{ $requests{$scenario} });
    if ($scenario eq 'progress') {
        # the server reads a group's board once for its readers of a second (or serves it from that
        # reading); the ceiling is the statement each request ran before: the board as its caller sees it
        die "progress: the capture did not name the group and the caller (progress_group, progress_caller)\n"
            unless $var{progress_group} && $var{progress_caller};
        @statements = ((grep { $_->{limiter} } @statements),
            { sql => 'select * from group_leaderboard_seen_by($1, $2) b order by b.rank, b.display_name, b.user_id',
              params => [ $var{progress_group}, $var{progress_caller} ] });
    }
    die "no statements captured for $scenario\n" unless @statements;
    my (%constant, @defines);
    my $constant = sub {
        my ($value) = @_;
        unless ($constant{$value}) {
            $constant{$value} = 'c' . (keys(%constant) + 1);
            push @defines, "-D", "$constant{$value}=$value";
        }
        return $constant{$value};
    };
    my $script = $scenario eq 'progress'
        ? "-- progress: the statement each request ran before the board was shared, and the limiter's (bench/capture.pl)\n"
        : "-- $scenario: the " . scalar(@statements) . " statements one request sent (bench/capture.pl)\n";
    my $in_limiter = 0;
    for my $s (@statements) {
        if ($s->{limiter} && !$in_limiter) {
            $script .= "-- the fair-use limiter's transaction, on the client's own bucket, in limiter_ppm per million transactions\n"
                . "\\set limiter_acc :limiter_acc + :limiter_ppm\n"
                . "\\if :limiter_acc >= 1000000\n"
                . "\\set limiter_acc :limiter_acc - 1000000\n";
        } elsif (!$s->{limiter} && $in_limiter) {
            $script .= "\\endif\n";
        }
        $in_limiter = $s->{limiter} ? 1 : 0;
        $script .= pgbench_sql($s, sub {
            my $value = $s->{params}[$_[0]];
            return 'NULL' unless defined $value;
            my $limiter = limiter_param($s, $value, $constant);
            return $limiter if defined $limiter;
            return ":" . $constant->($value);
        });
    }
    $script .= "\\endif\n" if $in_limiter;
    limiter_setup($scenario, @statements);
    write_file("$out/$scenario.pgbench", $script);
    write_file("$out/$scenario.defines", join("\n", @defines) . "\n");
    # the statements measured by EXPLAIN ANALYZE, prepared as the driver prepares them. When the
    # application calls group_leaderboard(id) or group_leaderboard_seen_by(id, caller): the statement that
    # function runs, planned as the function plans it (a generic plan: db/migration/R__08_boards.sql), since a
    # function scan shows no plan.
    # group_history, focus_stats and focus_streak_days are PL/pgSQL: their EXPLAIN shows the call's whole time
    # (bench/lib/capture.sh adds their inner plans with auto_explain).
    my ($prepared, $args, $n) = ('', '', 0);
    for my $s (grep { $_->{sql} =~ /group_member_period_progress|group_leaderboard|group_history|focus_stats|focus_by_day|focus_streak_days/ } @statements) {
        (my $sql = $s->{sql}) =~ s/\s*;?\s*$//;
        my @params = @{ $s->{params} };
        $n++;
        if ($sql =~ /group_leaderboard\(\$1\)/) {
            # the board alone: the function's one parameter
            $sql = 'select * from group_member_period_progress where group_id = $1::uuid';
            @params = ($params[0]);
            $prepared .= "set plan_cache_mode = force_generic_plan;\n";
        } elsif ($sql =~ /group_leaderboard_seen_by\(\$1, \$2\)/) {
            # the board as the caller sees it: the statement group_leaderboard_seen_by runs, as it plans it
            $sql = 'select * from board_seen_by($1::uuid, $2::uuid, now())';
            @params = @params[0, 1];
            $prepared .= "set plan_cache_mode = force_generic_plan;\n";
        }
        $prepared .= "prepare bench_${scenario}_$n as $sql;\n";
        $args .= join(', ', map { defined $_ ? "'" . s/'/''/gr . "'" : 'NULL' } @params) . "\n";
    }
    if ($n) {
        write_file("$out/$scenario.explain.sql", $prepared);
        write_file("$out/$scenario.explain.args", $args);
    }
    write_file("$out/$scenario.txt", listing("$scenario: one request", @statements));
    printf "%-14s %3d statements\n", $scenario, scalar @statements;
}

# the clock cycle: five steps, one pgbench transaction each
my @steps = map { $requests{"clock:$_"} } 0 .. 4;
if (grep { defined } @steps) {
    die "the clock cycle was not captured whole\n" if grep { !defined || !@$_ } @steps;
    @steps = map { [ mark_limiter(@$_) ] } @steps;
    my %name = %known;    # value -> variable
    my (%constant, @defines, @new_ids);
    my $constant = sub {
        my ($value) = @_;
        unless ($constant{$value}) {
            $constant{$value} = 'c' . (keys(%constant) + 1);
            push @defines, "-D", "$constant{$value}=$value";
        }
        return $constant{$value};
    };
    my $body = '';
    my $count = 0;
    for my $step (0 .. 4) {
        my $new_timestamp;
        my $gset_done = 0;
        $body .= $step == 0 ? "\\if :step = 0\n" : "\\elif :step = $step\n";
        $body .= "__PRELUDE__" if $step == 0;
        for my $s (@{ $steps[$step] }) {
            $count++;
            my $is_insert = $s->{sql} =~ /^\s*insert\b/i;
            if ($s->{sql} =~ /^\s*select now\(\)\s*$/i && !$gset_done) {
                $body .= "select now() as now_$step \\gset\n";
                $gset_done = 1;
                next;
            }
            $body .= pgbench_sql($s, sub {
                my $value = $s->{params}[$_[0]];
                return 'NULL' unless defined $value;
                my $limiter = limiter_param($s, $value, $constant);
                return $limiter if defined $limiter;
                return ":$name{$value}" if $name{$value};
                if ($value =~ $timestamp) {
                    die "step $step binds two new timestamps: cannot tell which is now()\n" if $new_timestamp;
                    die "step $step binds a timestamp but never asked for now()\n" unless $gset_done;
                    $new_timestamp = $value;
                    $name{$value} = "now_$step";
                    return ":now_$step";
                }
                if ($value =~ $uuid && $is_insert) {
                    my $id = 'id' . (@new_ids + 1);
                    push @new_ids, $id;
                    $name{$value} = $id;
                    return ":$id";
                }
                return ":" . $constant->($value);
            });
        }
    }
    limiter_setup('clock', map { @$_ } @steps);
    my %used = map { $_ => 1 } values %name;
    # the Idempotency-Keys of the five requests (key0 .. key4): new ones each cycle, as the app sends
    my @keys = sort grep { /^key\d+$/ } values %known;
    my $prelude = "-- the next user of this client (clients never share users): their group, new ids\n"
        . "\\set k 1 + :client_id % :clients + :clients * random(0, :users / :clients - 1)\n"
        . "select profile_id as uid, group_id as gid"
        . join('', map { ", gen_random_uuid() as $_" } 'sid', @new_ids)
        . join('', map { ", gen_random_uuid()::text as $_" } @keys)
        . " from bench.clock_users where k = :k \\gset\n";
    die "the clock capture did not name the user, group and session (uid, gid, sid)\n"
        unless $used{uid} && $used{gid} && $used{sid};
    $body =~ s/__PRELUDE__/$prelude/;
    my $script = "-- clock: one step of a clock cycle per transaction (0 create, 1 start, 2 pause, 3 resume, 4 stop),\n"
        . "-- the $count statements the five requests sent (bench/capture.pl)\n"
        . $body . "\\endif\n\\set step (:step + 1) % 5\n";
    write_file("$out/clock.pgbench", $script);
    write_file("$out/clock.defines", join("\n", @defines, "-D", "step=0") . "\n");
    write_file("$out/clock.txt", join("\n", map { listing("clock step $_", @{ $steps[$_] }) } 0 .. 4));
    printf "%-14s %3d statements in 5 requests\n", 'clock', $count;
}
