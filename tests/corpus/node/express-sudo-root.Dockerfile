FROM ubuntu:latest
RUN apt update && apt install -y curl sudo
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -
RUN sudo apt-get install -y nodejs
RUN mkdir /app
RUN cd /app && npm init -y && npm install express
COPY server.js /app/
WORKDIR /app
CMD node server.js
