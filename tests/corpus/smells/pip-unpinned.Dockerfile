FROM python:3.12-slim
RUN pip install --no-cache-dir flask requests "django>=4" numpy==1.26.4
