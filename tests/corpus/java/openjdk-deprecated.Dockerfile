FROM openjdk:11
ADD target/service.jar service.jar
ENTRYPOINT java $JAVA_OPTS -Djava.security.egd=file:/dev/./urandom -jar /service.jar
