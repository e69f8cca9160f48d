FROM nginx:1.27
RUN useradd -m web
USER web
RUN echo as web
USER root
CMD ["nginx", "-g", "daemon off;"]
