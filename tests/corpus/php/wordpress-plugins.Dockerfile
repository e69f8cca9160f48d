FROM wordpress:6.5-php8.2-apache
ARG WP_PLUGINS="akismet classic-editor"
RUN set -eux; \
    for plugin in $WP_PLUGINS; do \
        curl -fsSL -o /tmp/$plugin.zip "https://downloads.wordpress.org/plugin/$plugin.zip"; \
        unzip -q /tmp/$plugin.zip -d /usr/src/wordpress/wp-content/plugins/; \
        rm /tmp/$plugin.zip; \
    done
COPY php.ini /usr/local/etc/php/conf.d/uploads.ini
