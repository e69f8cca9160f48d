FROM ruby:3.3-alpine
RUN apk add --no-cache --virtual .gem-build build-base postgresql-dev \
 && apk add --no-cache libpq tzdata
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
 && bundle install --jobs 4 --retry 3 \
 && apk del .gem-build
COPY . .
USER nobody
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
