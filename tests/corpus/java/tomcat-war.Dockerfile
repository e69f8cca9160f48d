FROM tomcat:10.1-jdk17-temurin
RUN rm -rf /usr/local/tomcat/webapps/*
COPY target/ROOT.war /usr/local/tomcat/webapps/ROOT.war
ENV CATALINA_OPTS "-Xms512m -Xmx1024m"
EXPOSE 8080
CMD ["catalina.sh", "run"]
