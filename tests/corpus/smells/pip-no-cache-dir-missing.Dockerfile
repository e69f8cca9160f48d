FROM python:3.12-slim
RUN pip install flask==3.0.3
RUN pip3 install -r requirements.txt
RUN python -m pip install --upgrade pip
RUN python3 -m pip install --user requests
