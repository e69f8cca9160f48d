FROM python:latest
RUN apt-get update
RUN apt-get install -y gcc libpq-dev
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
RUN pip install gunicorn
EXPOSE 5000
CMD gunicorn -b 0.0.0.0:5000 app:app
