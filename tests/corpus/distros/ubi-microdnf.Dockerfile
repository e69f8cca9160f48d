FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y --nodocs --setopt=install_weak_deps=0 java-17-openjdk-headless shadow-utils \
 && microdnf clean all \
 && useradd -r -u 1001 -g 0 app
USER 1001
CMD ["java", "-version"]
