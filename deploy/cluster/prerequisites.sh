# shellcheck shell=bash disable=SC2034 # globals of cluster-test.sh: set in one step, read in another
# Before anything starts: nginx (installed when missing) and the build must be
# there; the ports of this run: the database's, both instances', nginx's, and
# the data grid's first one.

require_tools_and_build() {
  install_missing nginx:nginx
  [[ -f lockin-web/target/lockin.war && -f lockin-web/target/payara-micro.jar ]] || fail "build first: ./lockin build"
}
choose_ports() {
  DEV_CP="$(ls lockin-dev/target/lockin-dev-*.jar):lockin-dev/target/lib/*"
  DB_PORT=$(free_port); REPLICA_PORT=$(free_port); PORT_A=$(free_port); PORT_B=$(free_port); PROXY=$(free_port)
  # The data grid's first port, with the next three free too (the instances take
  # the first free one from it, and each names only this one to find the other),
  # below the kernel's ephemeral range, where client connections of whatever
  # else runs here do not take it meanwhile.
  HZ=$(python3 -c '
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
while True:
    start = random.randrange(20000, min(low, 40000) - 4)
    try:
        for p in range(start, start + 4):
            with socket.socket() as s:
                s.bind(("127.0.0.1", p))
        print(start); break
    except OSError:
        pass')
}
