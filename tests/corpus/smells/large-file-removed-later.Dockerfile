FROM ubuntu:22.04
COPY dataset.tar.gz /tmp/dataset.tar.gz
RUN tar -xzf /tmp/dataset.tar.gz -C /data
RUN rm /tmp/dataset.tar.gz
