FROM composer:2 AS vendor
WORKDIR /app
COPY database/ database/
COPY composer.json composer.lock ./
RUN composer install --ignore-platform-reqs --no-interaction --no-plugins --no-scripts --prefer-dist --no-dev

FROM node:20-alpine AS frontend
WORKDIR /app
COPY package.json package-lock.json vite.config.js ./
COPY resources/ resources/
RUN npm ci && npm run build

FROM php:8.3-fpm-alpine
RUN apk add --no-cache icu-libs libzip \
 && apk add --no-cache --virtual .build $PHPIZE_DEPS icu-dev libzip-dev \
 && docker-php-ext-install intl zip bcmath \
 && apk del .build
WORKDIR /var/www
COPY . .
COPY --from=vendor /app/vendor/ ./vendor/
COPY --from=frontend /app/public/build/ ./public/build/
RUN chown -R www-data:www-data storage bootstrap/cache
USER www-data
CMD ["php-fpm"]
