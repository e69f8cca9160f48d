FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y autoconf automake libtool make gcc
ADD --checksum=sha256:5f2b5c5e1a9d7f4c3b2a1908f7e6d5c4b3a2918076f5e4d3c2b1a09f8e7d6c5b https://example.invalid/libfoo-2.1.tar.gz /libfoo-2.1.tar.gz
RUN tar xzf libfoo-2.1.tar.gz
RUN cd libfoo-2.1 && ./configure --prefix=/usr/local && make && make install
RUN rm -rf libfoo-2.1 libfoo-2.1.tar.gz
CMD ["/usr/local/bin/foo"]
