FROM mysql:8.4
VOLUME /var/lib/mysql
VOLUME ["/var/log/mysql", "/etc/mysql/conf.d"]
VOLUME /data /cache /tmp/scratch
VOLUME [ "/with spaces/in path" ]
volume ["/lower"]
ARG VOL=/from-arg
VOLUME $VOL
