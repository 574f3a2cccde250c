#!/bin/sh
# nginx-t.sh: check an nginx site file with the real `nginx -t`, without touching the
# machine's nginx setup (research/nginx.md, section 5).
#
# Usage: tests/validators/nginx-t.sh [--conf-dir DIR] [--host NAME]... SITE_FILE
#
# SITE_FILE holds what nginx includes inside `http { }` (upstream, map, server blocks, like
# deploy/nginx/*.conf). The script wraps it as `events {} http { include SITE_FILE; }` and
# runs `nginx -t` in a throw-away prefix:
#   - DIR (default: the directory of SITE_FILE) is copied into the prefix and is nginx's
#     configuration directory, so relative `include` paths resolve against it, as they do
#     for the ipai loader;
#   - in the copy, ssl_certificate / ssl_certificate_key / ssl_trusted_certificate /
#     ssl_client_certificate paths point at a throw-away self-signed certificate, and
#     absolute access_log / error_log paths at files in the prefix (line numbers unchanged);
#   - pid, temp paths and the error log live in the prefix;
#   - upstream host names (from `server HOST:PORT`, `proxy_pass http://HOST`, and --host)
#     resolve to 127.0.0.1 through a hosts file bind-mounted over /etc/hosts in a private
#     mount and network namespace (`unshare -rmn`, or `unshare -mn` as root), where binding
#     ports 80 and 443 also works; without namespaces they are rewritten to 127.0.0.1 in the
#     copy instead (and nginx binds the real ports, which needs root below 1024);
#   - the Lua module is loaded when a file uses `*_by_lua*` and the module is installed.
#
# Output: nginx's messages, with prefix paths mapped back to DIR. Exit status: nginx's.
# Environment: NGINX (the binary, default `nginx`), NGINX_T_KEEP=1 keeps the prefix.
set -eu

conf_dir=""
hosts=""
while [ $# -gt 1 ]; do
    case "$1" in
        --conf-dir) conf_dir="$2"; shift 2 ;;
        --host) hosts="$hosts $2"; shift 2 ;;
        *) break ;;
    esac
done
if [ $# -ne 1 ]; then
    echo "usage: $0 [--conf-dir DIR] [--host NAME]... SITE_FILE" >&2
    exit 2
fi
site="$1"
nginx_bin="${NGINX:-nginx}"
command -v "$nginx_bin" >/dev/null 2>&1 || { echo "nginx-t.sh: $nginx_bin not found" >&2; exit 127; }
[ -f "$site" ] || { echo "nginx-t.sh: $site: no such file" >&2; exit 2; }

site_abs=$(cd "$(dirname "$site")" && pwd)/$(basename "$site")
conf_dir=$(cd "${conf_dir:-$(dirname "$site")}" && pwd)
case "$site_abs" in
    "$conf_dir"/*) site_rel=${site_abs#"$conf_dir"/} ;;
    *) echo "nginx-t.sh: $site is not inside $conf_dir" >&2; exit 2 ;;
esac

P=$(mktemp -d "${TMPDIR:-/tmp}/nginx-t.XXXXXX")
cleanup() { [ "${NGINX_T_KEEP:-}" = 1 ] || rm -rf "$P"; }
trap cleanup EXIT INT TERM
mkdir -p "$P/conf" "$P/logs" "$P/temp"
cp -R "$conf_dir"/. "$P/conf/"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=ipai-nginx-t -keyout "$P/privkey.pem" -out "$P/fullchain.pem" >/dev/null 2>&1

# Rewrite certificate and log paths in every copied file. A directive starts a line or
# follows `;`, `{` or `}`.
at='\(^\|[;{}[:space:]]\)'
path='[[:space:]]\{1,\}[^;[:space:]]*'
find "$P/conf" -type f | while IFS= read -r f; do
    sed -i \
        -e "s#${at}ssl_certificate_key${path}#\1ssl_certificate_key $P/privkey.pem#g" \
        -e "s#${at}ssl_certificate${path}#\1ssl_certificate $P/fullchain.pem#g" \
        -e "s#${at}ssl_trusted_certificate${path}#\1ssl_trusted_certificate $P/fullchain.pem#g" \
        -e "s#${at}ssl_client_certificate${path}#\1ssl_client_certificate $P/fullchain.pem#g" \
        -e "s#${at}access_log[[:space:]]\{1,\}/[^;[:space:]]*#\1access_log $P/logs/access.log#g" \
        -e "s#${at}error_log[[:space:]]\{1,\}/[^;[:space:]]*#\1error_log $P/logs/error.log#g" \
        "$f"
done

# Host names nginx resolves at start-up: upstream servers and *_pass targets.
all_text=$(find "$P/conf" -type f -exec cat {} + 2>/dev/null || true)
found=$( {
    printf '%s\n' "$all_text" |
        grep -oE '(^|[;{[:space:]])server[[:space:]]+[A-Za-z][A-Za-z0-9._-]*' |
        sed -E 's/.*server[[:space:]]+//'
    printf '%s\n' "$all_text" |
        grep -oE '_pass[[:space:]]+(https?|grpcs?)://[A-Za-z][A-Za-z0-9._-]*' |
        sed -E 's#.*://##'
} | sort -u)
: > "$P/hosts"
for h in $hosts $found; do
    echo "127.0.0.1 $h" >> "$P/hosts"
done

modules=""
if grep -rqs '_by_lua' "$P/conf"; then
    for m in ndk_http_module ngx_http_lua_module; do
        [ -f "/usr/lib/nginx/modules/$m.so" ] && modules="${modules}load_module /usr/lib/nginx/modules/$m.so;
"
    done
fi

cat > "$P/conf/.nginx-t-wrapper.conf" <<EOF
${modules}events {}
http {
    access_log off;
    client_body_temp_path $P/temp/body;
    proxy_temp_path $P/temp/proxy;
    fastcgi_temp_path $P/temp/fastcgi;
    uwsgi_temp_path $P/temp/uwsgi;
    scgi_temp_path $P/temp/scgi;
    include "$P/conf/$site_rel";
}
EOF

# `user root root;` because nginx runs as (namespace) root and would chown its temp paths to
# an unmapped `nobody`.
check='"$nginx_bin" -t -c "$P/conf/.nginx-t-wrapper.conf" -p "$P/" -e stderr -g "pid $P/nginx.pid; $user"'
export P nginx_bin
status=0
if unshare -rmn true 2>/dev/null; then
    user='user root root;' unshare -rmn sh -c "mount --bind \"\$P/hosts\" /etc/hosts && $check" \
        > "$P/out" 2>&1 || status=$?
elif [ "$(id -u)" = 0 ] && unshare -mn true 2>/dev/null; then
    user='user root root;' unshare -mn sh -c "mount --bind \"\$P/hosts\" /etc/hosts && $check" \
        > "$P/out" 2>&1 || status=$?
else
    echo "nginx-t.sh: no mount namespace; upstream host names are rewritten to 127.0.0.1" >&2
    for h in $hosts $found; do
        find "$P/conf" -type f | while IFS= read -r f; do
            sed -i \
                -e "s#\(server[[:space:]]\{1,\}\)$h\([:;[:space:]]\)#\1127.0.0.1\2#g" \
                -e "s#\(_pass[[:space:]]\{1,\}[a-z]*://\)$h\([:/;[:space:]]\)#\1127.0.0.1\2#g" \
                "$f"
        done
    done
    user=''
    [ "$(id -u)" = 0 ] && user='user root root;'
    export user
    sh -c "$check" > "$P/out" 2>&1 || status=$?
fi

sed -e "s#$P/conf/#$conf_dir/#g" "$P/out"
if [ "$status" -ne 0 ] && ! grep -q 'emerg\|alert\|crit' "$P/out"; then
    echo "nginx-t.sh: nginx exited with status $status" >&2
fi
exit "$status"
