FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y autoconf automake libtool make gcc wget
RUN wget https://example.invalid/libfoo-2.1.tar.gz
RUN tar xzf libfoo-2.1.tar.gz
RUN cd libfoo-2.1 && ./configure --prefix=/usr/local && make && make install
RUN rm -rf libfoo-2.1 libfoo-2.1.tar.gz
CMD ["/usr/local/bin/foo"]
