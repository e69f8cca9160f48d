FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common gpg-agent \
 && add-apt-repository -y ppa:deadsnakes/ppa \
 && apt-get update && apt-get install -y --no-install-recommends python3.12 python3.12-venv \
 && apt-get purge -y software-properties-common && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://packages.example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg \
 && echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://packages.example.com/apt stable main" > /etc/apt/sources.list.d/example.list
