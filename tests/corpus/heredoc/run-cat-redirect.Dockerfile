# syntax=docker/dockerfile:1
FROM nginx:1.27-alpine

RUN cat <<EOF > /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    location /healthz {
        return 200 'ok';
    }
}
EOF

RUN cat <<'EOF' >> /docker-entrypoint.d/40-banner.sh && chmod +x /docker-entrypoint.d/40-banner.sh
#!/bin/sh
echo "starting nginx on port 8080 ($HOSTNAME)"
EOF

RUN tee /usr/share/nginx/html/index.html <<HTML >/dev/null
<!doctype html>
<title>hello</title>
<p>It works.</p>
HTML

EXPOSE 8080
