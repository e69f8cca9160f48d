FROM ubuntu:20.04
MAINTAINER Jane Doe <jane.doe@example.com>
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
CMD ["nginx", "-g", "daemon off;"]
