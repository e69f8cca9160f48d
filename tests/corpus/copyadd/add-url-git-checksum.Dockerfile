# syntax=docker/dockerfile:1.7
FROM alpine:3.20
ADD https://example.com/releases/tool-1.2.3.tar.gz /tmp/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/releases/tool-1.2.3.tar.gz /tmp/tool.tar.gz
ADD https://github.com/example/project.git#v1.2.3 /src/project
ADD --keep-git-dir=true https://github.com/example/project.git#main:subdir /src/sub
ADD git@github.com:example/private.git /src/private
ADD local-archive.tar.xz /opt/
ADD --unpack=false bundle.tar.gz /opt/bundle.tar.gz
ADD ["with space.txt", "/dst/with space.txt"]
ADD *.conf /etc/app/
ADD http://example.com/insecure.sh /usr/local/bin/
