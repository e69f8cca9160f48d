FROM mambaorg/micromamba:1.5.8
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml && \
    micromamba clean --all --yes
ARG MAMBA_DOCKERFILE_ACTIVATE=1
RUN python -c 'import numpy; print(numpy.__version__)'
COPY --chown=$MAMBA_USER:$MAMBA_USER . /home/mambauser/app
WORKDIR /home/mambauser/app
CMD ["python", "train.py"]
