FROM debian:latest
ENV DEBIAN_FRONTEND noninteractive
RUN apt-get update
RUN apt-get upgrade -y
RUN apt-get install -y python3 python3-pip vim curl wget git build-essential
RUN apt-get install -y nginx
RUN apt-get autoremove && apt-get clean
