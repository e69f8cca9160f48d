FROM openjdk:8-jre
ENV JAVA_OPTS -Xms256m -Xmx1g -XX:+UseG1GC
ENV APP_HOME /opt/app
ENV PATH $APP_HOME/bin:$PATH
ENV CATALINA_HOME /usr/local/tomcat
ENV TOMCAT_MAJOR 9
ENV TOMCAT_VERSION 9.0.90
ENV TOMCAT_URL https://example.invalid/tomcat-$TOMCAT_MAJOR/v$TOMCAT_VERSION/apache-tomcat-$TOMCAT_VERSION.tar.gz
WORKDIR $CATALINA_HOME
CMD ["catalina.sh", "run"]
