FROM {{ base_image }}:{{ base_tag | default("latest") }}
LABEL maintainer="{{ maintainer }}"
RUN {{ package_manager }} install -y {{ packages | join(" ") }}
COPY {{ src }} {{ dest }}
ENV {{ env_name }}={{ env_value }}
CMD ["{{ command }}"]
