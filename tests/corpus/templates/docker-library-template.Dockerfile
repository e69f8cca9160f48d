#
# NOTE: THIS FILE IS A TEMPLATE; the generator replaces every %%NAME%% placeholder
#
FROM %%BASE_IMAGE%%:%%BASE_TAG%%

ENV APP_VERSION %%APP_VERSION%%
ENV APP_SHA256 %%APP_SHA256%%

RUN set -eux; \
	apk add --no-cache --virtual .fetch-deps curl; \
	curl -fsSLo app.tar.gz "https://example.invalid/app-%%APP_VERSION%%.tar.gz"; \
	echo "%%APP_SHA256%% *app.tar.gz" | sha256sum -c -; \
	tar -xzf app.tar.gz -C /usr/local/bin; \
	rm app.tar.gz; \
	apk del --no-network .fetch-deps

CMD %%CMD%%
