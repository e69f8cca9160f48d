FROM jupyter/scipy-notebook:latest
USER root
RUN apt-get update && apt-get install -y graphviz
USER $NB_UID
RUN pip install --upgrade pip && \
    pip install xgboost lightgbm shap && \
    fix-permissions "${CONDA_DIR}" && \
    fix-permissions "/home/${NB_USER}"
COPY --chown=${NB_UID}:${NB_GID} notebooks/ /home/${NB_USER}/work/
