FROM ruby:2.7
ENV LANG C.UTF-8
RUN gem install jekyll bundler
WORKDIR /srv/jekyll
COPY Gemfile* ./
RUN bundle install
COPY . .
EXPOSE 4000
CMD bundle exec jekyll serve --host 0.0.0.0 --livereload
