# shellcheck shell=bash
# Step 2: Java 17+ at /usr/bin/java (what the unit runs) and nginx, installed
# with dnf or apt-get when missing; which Java package fits this distribution.

java_major() { # prints the major version of the java at $1, or 0
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)[."].*/\1/p' | head -n 1) || true
  [[ $v == 1 ]] && v=0   # 1.8 and older
  printf '%s' "${v:-0}"
}
pkg_manager=""
os_id=""
detect_package_manager() {
  if command -v dnf >/dev/null 2>&1; then pkg_manager=dnf
  elif command -v apt-get >/dev/null 2>&1; then pkg_manager=apt
  fi
  # shellcheck source=/dev/null
  os_id=$( (. /etc/os-release 2>/dev/null && printf '%s' "${ID:-}") || true)
}
apt_updated=0
pkg_install() { # PACKAGE...
  case $pkg_manager in
    dnf) system dnf install -y -q "$@" ;;
    apt)
      if (( ! apt_updated )); then system apt-get update -q; apt_updated=1; fi
      system env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" ;;
    *) die "neither dnf nor apt-get found: install $* by hand, then run deploy.sh again" ;;
  esac
}
java_package() {
  case $pkg_manager in
    dnf) if [[ $os_id == amzn ]]; then echo java-17-amazon-corretto-headless; else echo java-17-openjdk-headless; fi ;;
    apt)
      # Debian 13 dropped OpenJDK 17; Payara Micro 6 runs on 21 as well.
      if apt-cache show openjdk-17-jre-headless >/dev/null 2>&1 || ! apt-cache show openjdk-21-jre-headless >/dev/null 2>&1; then
        echo openjdk-17-jre-headless
      else
        echo openjdk-21-jre-headless
      fi ;;
    *) echo java-17 ;;
  esac
}
# The unit runs /usr/bin/java: that is the one that counts.
ensure_java() {
  local have_java=0 found=""
  [[ -x /usr/bin/java ]] && have_java=$(java_major /usr/bin/java)
  if (( have_java >= 17 )); then
    say "Java $have_java present: /usr/bin/java"
    return 0
  fi
  (( have_java > 0 )) && found=" (found Java $have_java)"
  say "no Java 17+ at /usr/bin/java$found: installing $(java_package)"
  pkg_install "$(java_package)"
  if for_real; then
    have_java=$(java_major /usr/bin/java)
    (( have_java >= 17 )) || die "/usr/bin/java is still older than 17: choose Java 17 with 'alternatives --config java' (dnf) or 'update-alternatives --config java' (apt)"
    say "Java $have_java installed"
  fi
}
ensure_nginx() {
  if [[ $NGINX_MODE == none ]]; then
    say "nginx: not managed (--nginx none)"
  elif command -v nginx >/dev/null 2>&1; then
    say "nginx present: $(nginx -v 2>&1 | sed 's/^nginx version: //')"
  else
    say "nginx missing: installing it"
    pkg_install nginx
  fi
}
install_packages() {
  step "Java 17 and nginx"
  detect_package_manager
  ensure_java
  ensure_nginx
  command -v curl >/dev/null 2>&1 || pkg_install curl   # the health check after the start
}
