FROM php:7.4-apache
RUN apt-get update && apt-get install -y git unzip libicu-dev
RUN docker-php-ext-install intl mysqli
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
COPY . /var/www/html/
RUN composer install
RUN a2enmod rewrite
EXPOSE 80
