FROM ruby:3.2
RUN apt-get update -qq && apt-get install -y nodejs
RUN mkdir /myapp
WORKDIR /myapp
ADD . /myapp
RUN gem install bundler && bundle install
EXPOSE 4567
CMD ["ruby", "app.rb", "-o", "0.0.0.0"]
