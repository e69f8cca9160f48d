# fragment included by a larger build script; it has no FROM of its own
RUN apt-get update
RUN apt-get install -y --no-install-recommends locales
RUN sed -i 's/# en_US.UTF-8/en_US.UTF-8/' /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
