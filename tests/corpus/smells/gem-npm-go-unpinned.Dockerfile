FROM ruby:3.3
RUN gem install rails
RUN npm install -g yarn
RUN go install golang.org/x/tools/cmd/goimports@latest
RUN cargo install ripgrep
