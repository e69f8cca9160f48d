FROM debian:bookworm-slim
# the backslashes below are followed by spaces or tabs; BuildKit still continues
RUN apt-get update \ 
    && apt-get install -y --no-install-recommends make \	
    && rm -rf /var/lib/apt/lists/* \   	 
    && make --version
ENV A=1 \  
    B=2
