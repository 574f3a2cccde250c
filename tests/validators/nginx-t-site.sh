#!/bin/sh
# nginx-t-site.sh DIR: runs Debian's `nginx -t`, unprivileged, on the vhost files in DIR
# (files for nginx's http context, as the image's conf.d/ holds them). The recipe is
# research/nginx.md §5: a throwaway prefix holds the pid, temp and log paths; every
# certificate a vhost names is a throwaway self-signed pair at the rewritten path; the
# upstream host names resolve to 127.0.0.1 through a hosts file bind-mounted inside
# `unshare -rmn` (a user namespace mapped to root and a private network namespace, so
# binding 80 and 443 works without privileges). Prints nginx's output; exits with its status.
set -eu
src=${1:?usage: nginx-t-site.sh DIR}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT INT TERM
mkdir -p "$prefix/conf.d" "$prefix/temp" "$prefix/log" "$prefix/webroot" "$prefix/live"

for file in "$src"/*.conf; do
    sed -e "s#/etc/letsencrypt/live/#$prefix/live/#g" \
        -e "s#/var/log/nginx/#$prefix/log/#g" \
        -e "s#/var/www/certbot#$prefix/webroot#g" \
        "$file" >"$prefix/conf.d/$(basename "$file")"
done

# One self-signed pair for every certificate lineage a vhost names.
grep -ho "$prefix/live/[^/]*/" "$prefix"/conf.d/*.conf | sort -u | while read -r lineage; do
    mkdir -p "$lineage"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj /CN=ipai-test -keyout "$lineage/privkey.pem" -out "$lineage/fullchain.pem" \
        >/dev/null 2>&1
done

# Every upstream host name (`server NAME:PORT;`) resolves to the loopback address.
{
    echo "127.0.0.1 localhost"
    grep -ho 'server [A-Za-z0-9.-]*:[0-9]*;' "$prefix"/conf.d/*.conf |
        sed 's/^server \([^:]*\):.*/127.0.0.1 \1/' | sort -u
} >"$prefix/hosts"

cat >"$prefix/nginx.conf" <<CONF
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    include $prefix/conf.d/*.conf;
}
CONF

unshare -rmn sh -c "mount --bind '$prefix/hosts' /etc/hosts && \
    nginx -t -c '$prefix/nginx.conf' -p '$prefix/' -e stderr -g 'pid $prefix/nginx.pid; user root root;'"
