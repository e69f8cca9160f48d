 
	
FROM alpine:3.20
  	  
RUN echo between whitespace-only lines
 	
