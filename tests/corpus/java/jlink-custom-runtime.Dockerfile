FROM eclipse-temurin:21-jdk-alpine AS jre-build
RUN $JAVA_HOME/bin/jlink \
      --add-modules java.base,java.logging,java.net.http,java.sql \
      --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
      --output /javaruntime

FROM alpine:3.20
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre-build /javaruntime $JAVA_HOME
COPY build/libs/app.jar /opt/app/app.jar
CMD ["java", "-jar", "/opt/app/app.jar"]
