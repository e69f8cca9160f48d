FROM alpine:3.20
RUN cd /tmp && wget https://example.com/a.tgz && tar xzf a.tgz
RUN cd /opt
RUN mkdir -p /srv/app; cd /srv/app; touch ready
