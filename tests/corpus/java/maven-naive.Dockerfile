FROM maven:3.9-eclipse-temurin-17
COPY . /usr/src/app
WORKDIR /usr/src/app
RUN mvn clean package
EXPOSE 8080
CMD java -jar target/app-0.0.1-SNAPSHOT.jar
